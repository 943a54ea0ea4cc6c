"""Municipalities learning from each other: exchange profiles, matching, introductions, shared practice, the
pooled obstacles report."""
