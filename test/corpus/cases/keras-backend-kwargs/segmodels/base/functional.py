"""Scores that work with either Keras: the backend arrives as ``backend=`` in kwargs."""
SMOOTH = 1e-5


def _spatial_axes(per_image, **kwargs):
    backend = kwargs["backend"]
    axes = [1, 2] if backend.image_data_format() == "channels_last" else [2, 3]
    return axes if per_image else [0] + axes


def _weighted_mean(score, per_image=False, class_weights=None, **kwargs):
    backend = kwargs["backend"]
    if per_image:
        score = backend.mean(score, axis=0)
    if class_weights is not None:
        score = score * class_weights
    return backend.mean(score)


def fbeta_score(gt, pr, beta=1, class_weights=1, smooth=SMOOTH, per_image=False, **kwargs):
    """F-beta of soft masks; beta = 1 is the Dice coefficient."""
    backend = kwargs["backend"]
    axes = _spatial_axes(per_image, **kwargs)
    overlap = backend.sum(gt * pr, axis=axes)
    predicted = backend.sum(pr, axis=axes)
    actual = backend.sum(gt, axis=axes)
    tp, fp, fn = overlap, predicted - overlap, actual - overlap
    b2 = beta ** 2
    score = ((1 + b2) * tp + smooth) / ((1 + b2) * tp + b2 * fn + fp + smooth)
    return _weighted_mean(score, per_image, class_weights, **kwargs)


def categorical_crossentropy(gt, pr, class_weights=1.0, **kwargs):
    backend = kwargs["backend"]
    channel_axis = -1 if backend.image_data_format() == "channels_last" else 1
    pr = pr / backend.sum(pr, axis=channel_axis, keepdims=True)
    eps = backend.epsilon()
    pr = backend.clip(pr, eps, 1.0 - eps)
    return -backend.mean(gt * backend.log(pr) * class_weights)
