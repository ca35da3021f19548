from tensorflow import keras

from losses import dice_loss

N_CLASSES = 3

inputs = keras.Input(shape=(256, 256, 3))
x = keras.layers.Conv2D(32, 3, padding="same", activation="relu")(inputs)
x = keras.layers.Conv2D(32, 3, padding="same", activation="relu")(x)
outputs = keras.layers.Conv2D(N_CLASSES, 1, activation="softmax")(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss=dice_loss, metrics=["accuracy"])
