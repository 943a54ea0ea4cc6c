"""From plan to practice: measures with owners and indicators, follow-up reminders, status reports, plan versions."""
