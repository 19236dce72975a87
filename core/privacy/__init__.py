"""Privacy: which customer fields are sensitive, how they are masked, and the audit trail of who read them."""
