"""Small helpers the tests share."""


def canonical(text: str) -> str:
    """Text with everything that layout may change removed: spaces, line-end hyphens and
    invisible break characters."""
    return "".join(c for c in text if not c.isspace() and c not in "\u00ad\u200b\u2060-‐")


# For the Java checkers the tests run (EPUBCheck, the Nu Html Checker): each run is short, and
# the just-in-time compiler's first tier halves its time; code compiled that way takes more
# stack than Java's default thread stack gives the Nu checker's schema.
QUICK_JAVA = ["-XX:TieredStopAtLevel=1", "-Xss8m"]
