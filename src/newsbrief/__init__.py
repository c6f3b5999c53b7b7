"""newsbrief: story highlights and facts for news articles, offline, on a CPU."""

__version__ = "0.1.0"
