"""python train.py --epochs 50"""
import argparse

from tensorflow import keras

from losses import tversky_loss

parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=50)
parser.add_argument("--batch-size", type=int, default=8)


def build_model(n_classes=2):
    inputs = keras.Input((128, 128, 3))
    x = keras.layers.Conv2D(32, 3, padding="same", activation="relu")(inputs)
    x = keras.layers.Conv2D(32, 3, padding="same", activation="relu")(x)
    outputs = keras.layers.Conv2D(n_classes, 1, activation="softmax")(x)
    return keras.Model(inputs, outputs)


if __name__ == "__main__":
    args = parser.parse_args()
    model = build_model()
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=1e-4),
        loss=tversky_loss(alpha=0.3, beta=0.7),
        metrics=["accuracy"],
    )
    model.summary()
