import numpy as np
from tensorflow import keras

from lib.losses import cce_dice_loss, dice_coef


def get_model(n_classes=3):
    inputs = keras.Input((128, 128, 1))
    x = keras.layers.Conv2D(16, 3, padding="same", activation="relu")(inputs)
    outputs = keras.layers.Conv2D(n_classes, 1, activation="softmax")(x)
    return keras.Model(inputs, outputs)


if __name__ == "__main__":
    model = get_model()
    model.compile(optimizer="adam", loss=cce_dice_loss, metrics=[dice_coef])
    x = np.zeros((4, 128, 128, 1), np.float32)
    y = keras.utils.to_categorical(np.zeros((4, 128, 128)), 3)
    model.fit(x, y, epochs=1)
