"""Losses for the custom TF2 training loop in train.py."""
import tensorflow as tf


def soft_dice_loss(prediction, ground_truth, smooth=1.0):
    """prediction: class probabilities (b, h, w, c); ground_truth: one-hot, same shape."""
    axes = [1, 2]
    inter = tf.reduce_sum(prediction * ground_truth, axis=axes)
    total = tf.reduce_sum(prediction, axis=axes) + tf.reduce_sum(ground_truth, axis=axes)
    dice = (2.0 * inter + smooth) / (total + smooth)
    return 1.0 - tf.reduce_mean(dice)


def focal_loss(labels, logits, gamma=2.0):
    """Softmax focal loss; labels one-hot (b, h, w, c), logits raw scores."""
    log_probs = tf.nn.log_softmax(logits, axis=-1)
    probs = tf.exp(log_probs)
    focal = -labels * tf.pow(1.0 - probs, gamma) * log_probs
    return tf.reduce_mean(tf.reduce_sum(focal, axis=-1))
