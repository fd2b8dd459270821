"""统一社会信用代码 (unified social credit code) check, per GB 32100-2015."""

#: The 31 characters allowed, in value order (I, O, S, V and Z are never used).
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def check_character(first17: str) -> str:
    """Return the check character for the first 17 characters of a code.

    :raises ValueError: when a character is outside the GB 32100 alphabet.
    """
    total = 0
    for char, weight in zip(first17.upper(), WEIGHTS, strict=True):
        index = ALPHABET.find(char)
        if index < 0:
            raise ValueError(f"character {char!r} is not allowed in a credit code")
        total += index * weight
    return ALPHABET[(31 - total % 31) % 31]


def is_valid_credit_code(code: str) -> bool:
    """Tell whether ``code`` has 18 allowed characters and a correct check character."""
    code = code.strip().upper()
    if len(code) != 18:
        return False
    try:
        return check_character(code[:17]) == code[17]
    except ValueError:
        return False
