"""Customer data export and the other rights of the customer over their data, as the screens offer them."""
