"""Campaigns: the occasions calendar they are scheduled by (``calendar``) and the overrides head office sets."""
