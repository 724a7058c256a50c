"""Accounts: users, one-time codes, businesses, officers and delegations."""

from .businesses import Business, BusinessMembership
from .codes import OneTimeCode
from .staff import Delegation, Officer
from .users import User

__all__ = [
    "Business",
    "BusinessMembership",
    "Delegation",
    "Officer",
    "OneTimeCode",
    "User",
]
