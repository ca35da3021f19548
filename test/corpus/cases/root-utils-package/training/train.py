"""Train the small U-Net on the nerve dataset."""
import argparse

import numpy as np
from tensorflow.keras import layers, models
from tensorflow.keras.optimizers import Adam

from losses import bce_dice_loss, dice_similarity


def build_unet(input_shape=(96, 96, 1)):
    inputs = layers.Input(input_shape)
    c1 = layers.Conv2D(32, 3, activation="relu", padding="same")(inputs)
    p1 = layers.MaxPooling2D()(c1)
    c2 = layers.Conv2D(64, 3, activation="relu", padding="same")(p1)
    u1 = layers.UpSampling2D()(c2)
    m1 = layers.concatenate([u1, c1])
    c3 = layers.Conv2D(32, 3, activation="relu", padding="same")(m1)
    outputs = layers.Conv2D(1, 1, activation="sigmoid")(c3)
    return models.Model(inputs=[inputs], outputs=[outputs])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--data", default="data/train.npz")
    args = parser.parse_args()

    data = np.load(args.data)
    model = build_unet()
    model.compile(optimizer=Adam(learning_rate=1e-4), loss=bce_dice_loss, metrics=[dice_similarity])
    model.fit(data["images"], data["masks"], batch_size=16, epochs=args.epochs, validation_split=0.1)


if __name__ == "__main__":
    main()
