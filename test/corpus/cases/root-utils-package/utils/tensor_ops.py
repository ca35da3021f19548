"""Backend helpers shared by training and evaluation scripts."""
from tensorflow.keras import backend as K


def flatten(x):
    return K.flatten(x)


def clip_probabilities(x):
    return K.clip(x, K.epsilon(), 1.0 - K.epsilon())
