"""Criteria of the scene-parsing trainer (written for PyTorch 0.3, still in use)."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.autograd import Variable


def labels_to_onehot(labels, n_classes):
    """(N, 1, H, W) LongTensor -> (N, C, H, W) FloatTensor."""
    size = labels.size()
    onehot = torch.FloatTensor(size[0], n_classes, size[2], size[3]).zero_()
    return onehot.scatter_(1, labels.data, 1)


class SoftDiceLoss(nn.Module):
    def __init__(self, smooth=1., ignore_label=255):
        super(SoftDiceLoss, self).__init__()
        self.smooth = smooth
        self.ignore_label = ignore_label

    def forward(self, logits, labels):
        # unlabeled pixels are folded into the smallest label before the one-hot encoding
        lowest, highest = labels.min(), labels.max()
        if self.ignore_label not in range(lowest, highest) and (labels == self.ignore_label).any():
            labels[labels == self.ignore_label] = lowest
        onehot = labels_to_onehot(labels.unsqueeze(1), logits.size(1))
        onehot = Variable(onehot, requires_grad=False).contiguous().view(-1)
        probs = F.softmax(logits, dim=1).contiguous().view(-1)
        overlap = torch.sum(probs * onehot)
        return 1. - (2. * overlap + self.smooth) / (probs.sum() + onehot.sum() + self.smooth)


class FocalLoss(nn.Module):
    """Multi-class focal loss; ``alpha`` is a list of class weights (a float means 2 classes)."""

    def __init__(self, gamma=2., alpha=None, average=True):
        super(FocalLoss, self).__init__()
        self.gamma = gamma
        if isinstance(alpha, (float, int)):
            alpha = [alpha, 1 - alpha]
        self.alpha = torch.Tensor(alpha) if alpha is not None else None
        self.average = average

    def forward(self, logits, labels):
        n, c = logits.size(0), logits.size(1)
        # (N, C, H, W) -> (N*H*W, C)
        scores = logits.view(n, c, -1).transpose(1, 2).contiguous().view(-1, c)
        labels = labels.view(-1, 1)

        log_p = F.log_softmax(scores, dim=1).gather(1, labels).view(-1)
        p = Variable(log_p.data.exp())  # the focusing term is a constant weight here
        if self.alpha is not None:
            if self.alpha.type() != scores.data.type():
                self.alpha = self.alpha.type_as(scores.data)
            log_p = log_p * Variable(self.alpha.gather(0, labels.data.view(-1)))

        loss = -((1 - p) ** self.gamma) * log_p
        return loss.mean() if self.average else loss.sum()


class CEDiceLoss(nn.Module):
    def __init__(self, ignore_label=255, weight=None):
        super(CEDiceLoss, self).__init__()
        self.dice = SoftDiceLoss(ignore_label=ignore_label)
        self.ce = nn.CrossEntropyLoss(weight=weight, ignore_index=ignore_label)

    def forward(self, logits, labels):
        return self.ce(logits, labels) + self.dice(logits, labels)
