from .base import Loss
from .base import functional as fn

SMOOTH = 1e-5


class DiceLoss(Loss):
    """1 - F-beta score (Dice for beta = 1); ``model.compile(optimizer, loss=DiceLoss())``."""

    def __init__(self, beta=1, class_weights=None, per_image=False, smooth=SMOOTH):
        super().__init__(name="dice_loss")
        self.beta = beta
        self.class_weights = 1 if class_weights is None else class_weights
        self.per_image = per_image
        self.smooth = smooth

    def __call__(self, gt, pr):
        score = fn.fbeta_score(gt, pr, beta=self.beta, class_weights=self.class_weights,
                              smooth=self.smooth, per_image=self.per_image, **self.modules)
        return 1 - score


class CategoricalCELoss(Loss):
    def __init__(self, class_weights=None):
        super().__init__(name="categorical_crossentropy")
        self.class_weights = 1 if class_weights is None else class_weights

    def __call__(self, gt, pr):
        return fn.categorical_crossentropy(gt, pr, class_weights=self.class_weights, **self.modules)


# ready to use: model.compile(optimizer, loss=segmodels.losses.cce_dice_loss)
dice = DiceLoss()
cce = CategoricalCELoss()
cce_dice_loss = cce + dice
