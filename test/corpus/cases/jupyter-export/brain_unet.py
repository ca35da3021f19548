#!/usr/bin/env python
# coding: utf-8

# # Tumour segmentation on FLAIR slices
# 
# A small U-Net trained on 2-D slices with binary tumour masks.
# Data layout: `data/flair/*.npy` and `data/mask/*.npy`, 128 x 128.

# In[1]:


import glob

import numpy as np
import matplotlib.pyplot as plt
from tensorflow import keras
from tensorflow.keras import backend as K

get_ipython().run_line_magic('matplotlib', 'inline')


# In[2]:


IMG_SIZE = 128
image_paths = sorted(glob.glob('data/flair/*.npy'))
mask_paths = sorted(glob.glob('data/mask/*.npy'))
print(len(image_paths), 'slices')


# In[3]:


SMOOTH = 1.0

def dice_score(y_true, y_pred):
    t = K.flatten(y_true)
    p = K.flatten(y_pred)
    return (2.0 * K.sum(t * p) + SMOOTH) / (K.sum(t) + K.sum(p) + SMOOTH)


def neg_dice_loss(y_true, y_pred):
    # maximise the Dice score
    return -dice_score(y_true, y_pred)


# In[4]:


def build_unet(size=IMG_SIZE):
    inputs = keras.Input((size, size, 1))
    c1 = keras.layers.Conv2D(16, 3, activation='relu', padding='same')(inputs)
    p1 = keras.layers.MaxPooling2D(2)(c1)
    c2 = keras.layers.Conv2D(32, 3, activation='relu', padding='same')(p1)
    u1 = keras.layers.Conv2DTranspose(16, 2, strides=2, padding='same')(c2)
    c3 = keras.layers.Conv2D(16, 3, activation='relu', padding='same')(keras.layers.concatenate([u1, c1]))
    outputs = keras.layers.Conv2D(1, 1, activation='sigmoid')(c3)
    return keras.Model(inputs, outputs)

model = build_unet()
model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-5), loss=neg_dice_loss, metrics=[dice_score])
model.summary()


# In[5]:


X = np.stack([np.load(p) for p in image_paths]) if image_paths else np.zeros((0, IMG_SIZE, IMG_SIZE, 1), np.float32)
Y = np.stack([np.load(p) for p in mask_paths]) if mask_paths else np.zeros((0, IMG_SIZE, IMG_SIZE, 1), np.float32)
history = model.fit(X, Y, batch_size=32, epochs=20, validation_split=0.2)


# In[6]:


plt.plot(history.history['loss'], label='train')
plt.plot(history.history['val_loss'], label='val')
plt.legend()
plt.show()


# In[ ]:




