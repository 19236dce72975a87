"""Reading gift-card QR codes: the decoder (no Qt), the camera worker and view, the keyboard-wedge detector."""
