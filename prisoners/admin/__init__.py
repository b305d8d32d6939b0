"""The curators' admin: model admins, forms, actions, history and the
import screens. Django's autodiscovery imports this package."""

from . import (
    mapping,  # noqa: F401  (registers the saved column mappings)
    model_admins,  # noqa: F401  (registers the model admins)
)
