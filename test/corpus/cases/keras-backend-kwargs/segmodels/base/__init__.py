from .objects import BackendHolder, Loss
from . import functional
