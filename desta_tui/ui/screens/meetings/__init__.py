"""The Meetings section: the list of meetings, one meeting with its tabs, and the risks."""
