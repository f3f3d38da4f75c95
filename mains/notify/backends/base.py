class DeliveryError(Exception):
    """The gateway or server refused the message, or could not be reached."""
