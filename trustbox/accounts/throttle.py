from django.http import HttpRequest


def no_client_address(request: HttpRequest) -> None:
    """Tell django-axes nothing about the client's address, so it never stores one."""
    return None
