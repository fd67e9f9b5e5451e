"""weekwatch: the bureau operator's dashboard for an activity week."""

__version__ = "0.1.0"
