"""Name -> loss class, so configs can say loss: dice."""
LOSS_REGISTRY = {}


def register_loss(name):
    def wrap(cls):
        key = name.lower()
        if key in LOSS_REGISTRY:
            raise ValueError(f"loss {key!r} registered twice")
        LOSS_REGISTRY[key] = cls
        return cls
    return wrap


def get_loss(name, **kwargs):
    try:
        return LOSS_REGISTRY[name.lower()](**kwargs)
    except KeyError:
        raise ValueError(f"unknown loss {name!r}; known: {sorted(LOSS_REGISTRY)}") from None
