import tensorflow as tf


class SegLoss(tf.keras.losses.Loss):
    """Per-class soft confusion counts for channels-last one-hot masks.

    ``call`` returns one value per image; subclasses say how TP/FP/FN become a
    per-class score through ``class_scores``.
    """

    def __init__(self, smooth=1e-6, name=None, **kwargs):
        super().__init__(name=name or self.__class__.__name__.lower(), **kwargs)
        self.smooth = smooth

    def class_scores(self, tp, fp, fn):
        raise NotImplementedError("subclasses define the score")

    def call(self, y_true, y_pred):
        y_true = tf.cast(y_true, y_pred.dtype)
        spatial = [1, 2]
        tp = tf.reduce_sum(y_true * y_pred, axis=spatial)
        fp = tf.reduce_sum((1.0 - y_true) * y_pred, axis=spatial)
        fn = tf.reduce_sum(y_true * (1.0 - y_pred), axis=spatial)
        scores = self.class_scores(tp, fp, fn)
        return 1.0 - tf.reduce_mean(scores, axis=-1)

    def get_config(self):
        config = super().get_config()
        config.update({"smooth": self.smooth})
        return config
