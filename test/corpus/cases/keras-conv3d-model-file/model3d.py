"""3-D U-Net (Keras) for brain tumour sub-regions: background, edema, tumour core."""
from tensorflow.keras import layers, models

N_CLASSES = 3


def conv_block(x, filters):
    x = layers.Conv3D(filters, 3, padding="same", activation="relu")(x)
    return layers.Conv3D(filters, 3, padding="same", activation="relu")(x)


def unet3d(input_shape=(64, 64, 64, 4), base=16):
    inputs = layers.Input(input_shape)
    c1 = conv_block(inputs, base)
    p1 = layers.MaxPooling3D(2)(c1)
    c2 = conv_block(p1, base * 2)
    u1 = layers.UpSampling3D(2)(c2)
    c3 = conv_block(layers.concatenate([u1, c1]), base)
    outputs = layers.Conv3D(N_CLASSES, 1, activation="softmax")(c3)
    return models.Model(inputs, outputs, name="unet3d")
