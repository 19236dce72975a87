"""Gift-card faces: Pillow rendering (no Qt) in ``render``, Qt printing and PDF glue in ``printing``."""
