"""Privacy: which customer fields are sensitive and how they are masked, the audit trail of who read them, and
the customer's rights over their data (PDPL / GDPR): export and erasure."""
