# -*- coding: utf-8 -*-
"""
Segmentation losses for the TensorFlow 1.x pipeline.

Every loss takes the network's raw output ``prediction`` (..., n_classes) and
an integer label map ``ground_truth`` (same shape without the class axis).
"""
from __future__ import absolute_import, division, print_function

import tensorflow as tf

SMOOTH = 1e-5


def _flatten(prediction, ground_truth):
    """(..., C) scores and (...) labels -> (N, C) scores and (N, C) one-hot."""
    n_classes = prediction.get_shape()[-1].value
    scores = tf.reshape(prediction, [-1, n_classes])
    labels = tf.reshape(tf.to_int32(ground_truth), [-1])
    one_hot = tf.to_float(tf.one_hot(labels, depth=n_classes))
    return scores, one_hot


def generalised_dice_loss(prediction, ground_truth, weight_map=None):
    """Sudre et al. 2017; the weight of a class absent from the batch is
    replaced by the largest finite weight instead of infinity."""
    scores, one_hot = _flatten(prediction, ground_truth)
    probs = tf.nn.softmax(scores)

    ref_vol = tf.reduce_sum(one_hot, 0)
    seg_vol = tf.reduce_sum(probs, 0)
    intersect = tf.reduce_sum(one_hot * probs, 0)

    inv_sq = tf.reciprocal(tf.square(ref_vol))
    finite = tf.where(tf.is_inf(inv_sq), tf.zeros_like(inv_sq), inv_sq)
    weights = tf.where(tf.is_inf(inv_sq), tf.ones_like(inv_sq) * tf.reduce_max(finite), inv_sq)

    numerator = 2.0 * tf.reduce_sum(weights * intersect)
    denominator = tf.reduce_sum(weights * tf.maximum(seg_vol + ref_vol, 1.0))
    return 1.0 - numerator / denominator


def dice_xent_loss(prediction, ground_truth, weight_map=None):
    """Mean soft Dice over classes plus cross-entropy (Isensee et al.)."""
    scores, one_hot = _flatten(prediction, ground_truth)
    probs = tf.nn.softmax(scores)

    log_probs = tf.log(tf.clip_by_value(probs, 1e-7, 1.0))
    xent = -tf.reduce_mean(tf.reduce_sum(one_hot * log_probs, axis=1, keep_dims=True))

    intersect = tf.reduce_sum(one_hot * probs, axis=0)
    total = tf.reduce_sum(one_hot, axis=0) + tf.reduce_sum(probs, axis=0)
    dice = (2.0 * intersect + SMOOTH) / (total + SMOOTH)
    return xent + 1.0 - tf.reduce_mean(dice)
