"""Head office: the sync server every branch talks to (``python main.py headoffice --db URL``).

app (FastAPI), store and apply (its database), models (its tables), cli (the command).
"""
