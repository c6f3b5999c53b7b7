"""The HTTP API and web page (`newsbrief serve`)."""

from newsbrief.service.app import create_app
from newsbrief.service.config import Settings

__all__ = ["create_app", "Settings"]
