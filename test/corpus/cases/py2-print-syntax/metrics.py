# Keras 1 / Python 2 era training utilities.
from keras import backend as K

SMOOTH = 1.


def overlap_score(y_true, y_pred):
    t = K.flatten(y_true)
    p = K.flatten(y_pred)
    return (2. * K.sum(t * p) + SMOOTH) / (K.sum(t) + K.sum(p) + SMOOTH)


def overlap_loss(y_true, y_pred):
    return 1. - overlap_score(y_true, y_pred)


def report(history):
    best = max(history.history['val_overlap_score'])
    print "best validation overlap:", best
