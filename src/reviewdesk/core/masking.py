"""Masking of buyer personal data for roles that may not see it (ARCHITECTURE: masked contact)."""

from __future__ import annotations


def mask_phone(phone: str) -> str:
    digits = phone.strip()
    if len(digits) < 7:
        return "*" * len(digits)
    return f"{digits[:3]}****{digits[-4:]}"


def mask_address(address: str) -> str:
    """Keep the region words (first two space-separated parts), hide the street."""
    parts = address.split()
    if len(parts) <= 2:
        return address[:6] + "****" if len(address) > 6 else "****"
    return " ".join(parts[:2]) + " ****"


def mask_name(name: str) -> str:
    if len(name) <= 1:
        return "*"
    return name[0] + "*" * (len(name) - 1)
