// Python sources the isolation test and bench generate: small clean losses, and a loss that
// exhausts the engine's heap without any container growing large (so no size limit stops it).

/** A per-image soft Dice named `name`, with its own smoothing term. */
export const diceLoss = (name, smooth = 1) => `
def ${name}(y_pred, y_true):
    inter = (y_pred * y_true).sum(dim=(2, 3))
    total = y_pred.sum(dim=(2, 3)) + y_true.sum(dim=(2, 3))
    return 1 - ((2 * inter + ${smooth}) / (total + ${smooth})).mean()
`;

export const MEMORY_HOG = `
def memory_hog_loss(y_pred, y_true):
    kept = []
    for i in range(100000):
        kept.append([0.5] * 100000)
    return y_pred.mean()
`;
