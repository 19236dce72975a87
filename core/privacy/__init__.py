"""The customer's rights over their data (PDPL / GDPR): export, erasure, and the audit of who read what."""
