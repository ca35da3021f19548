class BackendHolder:
    """Keeps the Keras submodules chosen by ``segmodels.use_framework``."""

    _modules = None

    def __init__(self, name=None):
        if BackendHolder._modules is None:
            raise RuntimeError("no Keras framework selected; call segmodels.use_framework first")
        self._name = name

    @classmethod
    def inject(cls, **modules):
        BackendHolder._modules = dict(modules)

    @property
    def __name__(self):
        return self._name or type(self).__name__

    @property
    def modules(self):
        return dict(BackendHolder._modules)


class Loss(BackendHolder):
    """Loss objects combine with + and scale with *: ``DiceLoss() + 0.5 * CategoricalCELoss()``."""

    def __add__(self, other):
        if not isinstance(other, Loss):
            raise TypeError("only losses can be added to a loss")
        return LossSum(self, other)

    def __radd__(self, other):
        return self.__add__(other)

    def __mul__(self, factor):
        if not isinstance(factor, (int, float)):
            raise TypeError("a loss can only be scaled by a number")
        return ScaledLoss(self, factor)

    def __rmul__(self, factor):
        return self.__mul__(factor)


class ScaledLoss(Loss):
    def __init__(self, loss, factor):
        super().__init__(name=f"{factor}*{loss.__name__}")
        self.loss = loss
        self.factor = factor

    def __call__(self, gt, pr):
        return self.factor * self.loss(gt, pr)


class LossSum(Loss):
    def __init__(self, first, second):
        super().__init__(name=f"{first.__name__}+{second.__name__}")
        self.first = first
        self.second = second

    def __call__(self, gt, pr):
        return self.first(gt, pr) + self.second(gt, pr)
