from .enums import EvalMetric, LossReduction, NormLayer, PadMode, PatchBlending, Phase, ResampleMode
