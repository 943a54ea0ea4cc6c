"""A municipality's team: who is in it, in which role, who wrote what (pure rules, no storage)."""
