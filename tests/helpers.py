"""Small helpers the tests share."""


def canonical(text: str) -> str:
    """Text with everything that layout may change removed: spaces, line-end hyphens and
    invisible break characters."""
    return "".join(c for c in text if not c.isspace() and c not in "\u00ad\u200b\u2060-‐")
