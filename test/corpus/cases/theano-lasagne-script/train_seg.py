#!/usr/bin/env python
"""
Fully convolutional segmentation of retinal vessels with Lasagne.

The network output is reshaped to (pixels, classes) and passed through a
softmax, as Lasagne's objectives expect 2-D predictions.
"""
from __future__ import print_function

import time

import numpy as np
import theano
import theano.tensor as T

import lasagne
from lasagne.layers import Conv2DLayer, DimshuffleLayer, InputLayer, NonlinearityLayer, ReshapeLayer

N_CLASSES = 2


def build_fcn(input_var=None, n_filters=32):
    net = InputLayer((None, 1, None, None), input_var=input_var)
    net = Conv2DLayer(net, n_filters, 3, pad='same')
    net = Conv2DLayer(net, n_filters, 3, pad='same')
    net = Conv2DLayer(net, N_CLASSES, 1, nonlinearity=None)
    net = DimshuffleLayer(net, (0, 2, 3, 1))
    net = ReshapeLayer(net, (-1, N_CLASSES))
    return NonlinearityLayer(net, nonlinearity=lasagne.nonlinearities.softmax)


def dice_ce_loss(prediction, targets, eps=1.):
    """prediction: (pixels, classes) softmax; targets: (pixels,) int labels."""
    ce = T.nnet.categorical_crossentropy(prediction, targets).mean()
    onehot = T.extra_ops.to_one_hot(targets, N_CLASSES)
    inter = T.sum(prediction[:, 1:] * onehot[:, 1:])
    total = T.sum(prediction[:, 1:]) + T.sum(onehot[:, 1:])
    dice = (2. * inter + eps) / (total + eps)
    return ce + (1. - dice)


def main(num_epochs=50):
    images = T.tensor4('images')
    pixel_labels = T.ivector('pixel_labels')
    net = build_fcn(images)

    probs = lasagne.layers.get_output(net)
    loss = dice_ce_loss(probs, pixel_labels)
    weights = lasagne.layers.get_all_params(net, trainable=True)
    step = theano.function([images, pixel_labels], loss,
                           updates=lasagne.updates.adam(loss, weights, learning_rate=1e-3))

    for epoch in range(num_epochs):
        start = time.time()
        images = np.random.rand(4, 1, 64, 64).astype(theano.config.floatX)
        labels = (np.random.rand(4 * 64 * 64) > 0.9).astype(np.int32)
        err = step(images, labels)
        print("epoch {} loss {:.4f} ({:.1f}s)".format(epoch, float(err), time.time() - start))


if __name__ == '__main__':
    main()
