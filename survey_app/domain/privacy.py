"""Keep client addresses only as keyed hashes."""

import hashlib
import hmac


def hash_ip(secret: str, ip: str | None) -> str | None:
    """Return HMAC-SHA256(secret, ip) in hex, or None without an address.

    A keyed hash (rather than a plain one) matters: the IPv4 space is small enough to
    reverse an unkeyed hash by brute force.  Equal addresses still hash equal within one
    installation, which the duplicate-device validity rule needs.
    """
    if not ip:
        return None
    return hmac.new(secret.encode("utf-8"), ip.encode("utf-8"), hashlib.sha256).hexdigest()
