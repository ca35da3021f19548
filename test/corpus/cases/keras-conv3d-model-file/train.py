from tensorflow.keras.callbacks import ModelCheckpoint
from tensorflow.keras.optimizers import Adam

import losses
from model3d import unet3d

model = unet3d()
model.compile(optimizer=Adam(1e-4), loss=losses.dice_loss, metrics=[losses.dice_coefficient])

if __name__ == "__main__":
    checkpoint = ModelCheckpoint("unet3d.h5", save_best_only=True)
    print(model.summary())
