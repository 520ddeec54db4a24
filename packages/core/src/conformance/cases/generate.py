"""Writes worked-examples.json and special-values.json: expected values computed with mpmath at
50 digits, from the float64 value of each input, so they do not depend on the TypeScript reference.
Run: python3 generate.py (needs mpmath). The files it writes are committed; the suite reads them."""
import json
import math
from mpmath import mp, mpf, exp, log

mp.dps = 50
INF, NINF, NAN = float('inf'), float('-inf'), float('nan')


def enc(v):
    """JSON has no Infinity/NaN: they are written as strings."""
    v = float(v)
    if math.isnan(v):
        return 'NaN'
    if math.isinf(v):
        return 'Infinity' if v > 0 else '-Infinity'
    return v


def tensor(data, shape=None):
    return {'shape': shape if shape is not None else [len(data)], 'data': [enc(v) for v in data]}


def mask(data, shape=None):
    return {'shape': shape if shape is not None else [len(data)], 'data': list(data)}


def size(shape):
    return math.prod(shape)


def slices(shape, axis):
    """Flat indices of each slice along axis, in row-major order of the other dims."""
    strides = [math.prod(shape[d + 1:]) for d in range(len(shape))]
    others = [d for d in range(len(shape)) if d != axis]
    out = []
    for s in range(size([shape[d] for d in others])):
        rest, start = s, 0
        for d in reversed(others):
            start += (rest % shape[d]) * strides[d]
            rest //= shape[d]
        out.append([start + j * strides[axis] for j in range(shape[axis])])
    return out


def broadcast(m, mshape, shape):
    """NumPy broadcasting of a mask onto shape: one flag per element."""
    off = len(shape) - len(mshape)
    mstr = [math.prod(mshape[d + 1:]) for d in range(len(mshape))]
    flags = []
    for flat in range(size(shape)):
        coords, rest = [], flat
        for d in reversed(range(len(shape))):
            coords.insert(0, rest % shape[d])
            rest //= shape[d]
        k = sum(coords[d + off] * mstr[d] for d in range(len(mshape)) if mshape[d] != 1)
        flags.append(m[k] != 0)
    return flags


def normalize(z, part):
    """(probs, logprobs, lse) of one slice per SEMANTICS.md, at 50 digits."""
    act = [p and not (isinstance(v, float) and v == NINF) for v, p in zip(z, part)]
    vals = [v for v, a in zip(z, act) if a]
    n = len(z)
    if not vals:
        return [0.0] * n, [NINF] * n, NINF
    if any(isinstance(v, float) and math.isnan(v) for v in vals):
        return [NAN if a else 0.0 for a in act], [NAN if a else NINF for a in act], NAN
    k = sum(1 for v in vals if v == INF)
    if k:
        return ([1.0 / k if a and v == INF else 0.0 for v, a in zip(z, act)],
                [-math.log(k) if a and v == INF else NINF for v, a in zip(z, act)], INF)
    m = max(mpf(v) for v in vals)
    s = sum(exp(mpf(v) - m) for v in vals)
    lse = m + log(s)
    return ([exp(mpf(v) - lse) if a else 0.0 for v, a in zip(z, act)],
            [mpf(v) - lse if a else NINF for v, a in zip(z, act)], lse)


def forward(op, x, shape, axis=-1, T=1, where=None, keepDims=False):
    axis %= len(shape)
    flags = broadcast(where['data'], where['shape'], shape) if where else [True] * size(shape)
    sl = slices(shape, axis)
    out = [0.0] * size(shape)
    lses = []
    for idx in sl:
        z = [x[k] / T if math.isfinite(x[k]) else x[k] for k in idx]
        z = [mpf(v) if math.isfinite(v) else v for v in z]
        probs, logs, lse = normalize(z, [flags[k] for k in idx])
        for j, k in enumerate(idx):
            out[k] = probs[j] if op == 'softmax' else logs[j]
        lses.append(lse)
    if op == 'logSumExp':
        oshape = [1 if d == axis else n for d, n in enumerate(shape)] if keepDims else [n for d, n in enumerate(shape) if d != axis]
        return tensor(lses, oshape)
    return tensor(out, shape)


def case(name, op, inputs, options, expected, why):
    c = {'name': name, 'op': op, 'inputs': inputs}
    if why:
        c['why'] = why
    if options:
        c['options'] = options
    c['expected'] = expected
    return c


def fwd_case(name, op, x, shape=None, why='', **opts):
    shape = shape or [len(x)]
    options = {k: v for k, v in opts.items()}
    exp_ = forward(op, x, shape, opts.get('axis', -1), opts.get('temperature', 1), opts.get('where'), opts.get('keepDims', False))
    return case(name, op, {'x': tensor(x, shape)}, options, exp_, why)


def softmax_backward(y, dy, shape, part=None, T=1):
    part = part or [True] * len(y)
    act = [k for k in range(len(y)) if part[k]]
    s = sum(mpf(dy[k]) * mpf(y[k]) for k in act)
    return tensor([mpf(y[k]) * (mpf(dy[k]) - s) / T if part[k] else 0.0 for k in range(len(y))], shape)


def log_softmax_backward(logp, dy, shape, part=None, T=1):
    part = part or [True] * len(logp)
    act = [k for k in range(len(logp)) if part[k] and logp[k] != NINF]
    s = sum(mpf(dy[k]) for k in act)
    return tensor([(mpf(dy[k]) - exp(mpf(logp[k])) * s) / T if k in act else 0.0 for k in range(len(logp))], shape)


def cross_entropy(logits, shape, target, labels=True, reduction='mean', ignore=-100, e=0.0, w=None):
    """PyTorch semantics over the last axis."""
    C = shape[-1]
    N = size(shape) // C
    wt = (lambda c: mpf(w[c])) if w else (lambda c: mpf(1))
    losses, grads, denom = [], [], mpf(0)
    for s in range(N):
        row = logits[s * C:(s + 1) * C]
        probs, logs, _ = normalize([mpf(v) for v in row], [True] * C)
        if labels:
            y = target[s]
            if y == ignore:
                losses.append(mpf(0)); grads.extend([mpf(0)] * C); continue
            denom += wt(y)
            a = [(1 - mpf(e)) * wt(y) * (1 if c == y else 0) + mpf(e) / C * wt(c) for c in range(C)]
        else:
            denom += 1
            q = target[s * C:(s + 1) * C]
            a = [wt(c) * ((1 - mpf(e)) * mpf(q[c]) + mpf(e) / C) for c in range(C)]
        losses.append(-sum(ac * lp for ac, lp in zip(a, logs) if ac != 0))
        grads.extend([probs[c] * sum(a) - a[c] for c in range(C)])
    if reduction == 'none':
        return {'loss': tensor(losses, shape[:-1]), 'grad': tensor(grads, shape)}
    scale = 1 if reduction == 'sum' else (0 if denom == 0 else 1 / denom)
    return {'loss': tensor([sum(losses) * scale], []), 'grad': tensor([g * scale for g in grads], shape)}


def worked_examples():
    batch = [1, 2, 3, 6, 2, 4, 5, 6, 3, 8, 7, 6]
    scores48 = [((k * 37) % 23) * 0.25 - 2.5 for k in range(48)]
    keep_last3 = mask([0] * 45 + [1, 1, 1], [1, 48])
    scores45 = [1.5, -0.25, 3, 0.5, 2, 0, 4.25, -1, 1, 2.5, -3, 0.75, 1.25, 5, -0.5, 2, 2, 2, 2, 2]
    cols = mask([1, 1, 0, 1, 0], [1, 5])
    out = [
        fwd_case('softmax [3, 1, 0.2]', 'softmax', [3.0, 1.0, 0.2], why='the textbook example: [0.8360188, 0.11314284, 0.05083836]'),
        fwd_case('log-softmax [3, 1, 0.2]', 'logSoftmax', [3.0, 1.0, 0.2]),
        fwd_case('log-sum-exp [3, 1, 0.2]', 'logSumExp', [3.0, 1.0, 0.2]),
        fwd_case('softmax 3x4 batch over axis 0 (each column sums to 1)', 'softmax', batch, [3, 4], axis=0,
                 why='summing over the wrong axis of a 2-D batch is a classic bug'),
        fwd_case('softmax 3x4 batch over axis 1 (each row sums to 1)', 'softmax', batch, [3, 4], axis=1),
        fwd_case('softmax 3x4 batch over axis -1 (the default)', 'softmax', batch, [3, 4]),
        fwd_case('log-softmax 3x4 batch over axis 0', 'logSoftmax', batch, [3, 4], axis=0),
        fwd_case('log-sum-exp 3x4 batch over axis 0, keepDims', 'logSumExp', batch, [3, 4], axis=0, keepDims=True),
        fwd_case('log-sum-exp 3x4 batch over axis 1', 'logSumExp', batch, [3, 4], axis=1),
        fwd_case('softmax [1000, 1000, 100] does not overflow', 'softmax', [1000, 1000, 100], why='exp(1000) overflows without max subtraction'),
        fwd_case('softmax [-10000, -1020, 100, -70220]', 'softmax', [-10000, -1020, 100, -70220]),
        fwd_case('log-softmax [-10000, -1020, 100, -70220] has no -Infinity', 'logSoftmax', [-10000, -1020, 100, -70220],
                 why='log(softmax(x)) gives -inf here; the fused form does not'),
        fwd_case('softmax [1000, 5]', 'softmax', [1000, 5]),
        fwd_case('log-softmax [1000, 5]', 'logSoftmax', [1000, 5]),
        fwd_case('log-sum-exp [1000, 1000]', 'logSumExp', [1000, 1000]),
        fwd_case('softmax [1e30, -1e30, 0]', 'softmax', [1e30, -1e30, 0]),
        fwd_case('log-softmax [1e30, -1e30, 0]', 'logSoftmax', [1e30, -1e30, 0]),
        fwd_case('softmax [1e4, -1e4, 0, 1e4]', 'softmax', [1e4, -1e4, 0, 1e4]),
        fwd_case('softmax of a 1x48 score row keeping only the last three', 'softmax', scores48, [1, 48], where=keep_last3,
                 why='masks must give exact zeros, not tiny weights, and the kept three must sum to 1'),
        fwd_case('log-softmax of a 1x48 score row keeping only the last three', 'logSoftmax', scores48, [1, 48], where=keep_last3),
        fwd_case('softmax of a 4x5 score matrix with a 1x5 column mask broadcast over the rows', 'softmax', scores45, [4, 5], where=cols),
        fwd_case('log-sum-exp of a 4x5 score matrix with a 1x5 column mask', 'logSumExp', scores45, [4, 5], where=cols),
        fwd_case('softmax [1, 2, 3] at temperature 2', 'softmax', [1, 2, 3], temperature=2),
        fwd_case('softmax [1, 2, 3] at temperature 0.5', 'softmax', [1, 2, 3], temperature=0.5),
        fwd_case('log-softmax [1, 2, 3] at temperature 0.5', 'logSoftmax', [1, 2, 3], temperature=0.5),
        fwd_case('log-sum-exp [1, 2, 3] at temperature 0.5 is log sum exp(x / T)', 'logSumExp', [1, 2, 3], temperature=0.5),
    ]
    y, dy = [0.5, 0.25, 0.25], [1, 2, 3]
    out.append(case('softmax backward y=[0.5, 0.25, 0.25], dy=[1, 2, 3]', 'softmaxBackward',
                    {'y': tensor(y), 'dy': tensor(dy)}, None, softmax_backward(y, dy, [3]), 'y * (dy - sum(dy * y))'))
    out.append(case('softmax backward at temperature 2', 'softmaxBackward',
                    {'y': tensor(y), 'dy': tensor(dy)}, {'temperature': 2}, softmax_backward(y, dy, [3], T=2), 'divided by T'))
    logp = [math.log(v) for v in y]
    out.append(case('log-softmax backward logp=log[0.5, 0.25, 0.25], dy=[1, 2, 3]', 'logSoftmaxBackward',
                    {'logp': tensor(logp), 'dy': tensor(dy)}, None, log_softmax_backward(logp, dy, [3]), 'dy - exp(logp) * sum(dy)'))
    jac = [0.25, -0.125, -0.125, -0.125, 0.1875, -0.0625, -0.125, -0.0625, 0.1875]
    out.append(case('softmax Jacobian of y=[0.5, 0.25, 0.25]', 'softmaxJacobian', {'y': tensor(y)}, None,
                    tensor(jac, [3, 3]), 'diag(y) - y y^T'))
    y2 = [0.5, 0.1, 0.25, 0.3, 0.25, 0.6]
    jac2 = []
    for j in range(3):
        for i in range(2):
            for k in range(3):
                yj, yk = mpf(y2[j * 2 + i]), mpf(y2[k * 2 + i])
                jac2.append(((yj if j == k else 0) - yj * yk) / 2)
    out.append(case('softmax Jacobian over axis 0 of a [3, 2] tensor at temperature 2', 'softmaxJacobian', {'y': tensor(y2, [3, 2])},
                    {'axis': 0, 'temperature': 2}, tensor(jac2, [3, 2, 3]), 'J[j, i, k] = (y[j,i] [j==k] - y[j,i] y[k,i]) / T'))

    logits = [1, 2, 3, 1, 2, 3, 0.5, -1, 2]
    lab = lambda d, s=None: {'shape': s if s is not None else [len(d)], 'data': d}
    for name, target, labels, opts in [
        ('labels, mean', [2, 0, 1], True, {}),
        ('labels, sum', [2, 0, 1], True, {'reduction': 'sum'}),
        ('labels, none', [2, 0, 1], True, {'reduction': 'none'}),
        ('labels with ignoreIndex -100, mean', [2, -100, 1], True, {}),
        ('labels with ignoreIndex 0, mean', [2, 0, 1], True, {'ignoreIndex': 0}),
        ('labels, labelSmoothing 0.1, mean', [2, 0, 1], True, {'labelSmoothing': 0.1}),
        ('labels, weights [0.5, 2, 1], mean', [2, 0, 1], True, {'weights': [0.5, 2, 1]}),
        ('labels, weights and labelSmoothing 0.2, mean', [2, 0, 1], True, {'weights': [0.5, 2, 1], 'labelSmoothing': 0.2}),
        ('labels, weights and labelSmoothing 0.2, none', [2, -100, 1], True, {'weights': [0.5, 2, 1], 'labelSmoothing': 0.2, 'reduction': 'none'}),
        ('all labels ignored, mean is 0', [-100, -100, -100], True, {}),
        ('probabilities, mean', [0.2, 0.3, 0.5, 1, 0, 0, 0.1, 0.1, 0.8], False, {}),
        ('probabilities, sum, labelSmoothing 0.1', [0.2, 0.3, 0.5, 1, 0, 0, 0.1, 0.1, 0.8], False, {'reduction': 'sum', 'labelSmoothing': 0.1}),
        ('probabilities, weights, mean divides by the sample count', [0.2, 0.3, 0.5, 1, 0, 0, 0.1, 0.1, 0.8], False, {'weights': [0.5, 2, 1]}),
    ]:
        expected = cross_entropy(logits, [3, 3], target, labels, opts.get('reduction', 'mean'), opts.get('ignoreIndex', -100),
                                 opts.get('labelSmoothing', 0.0), opts.get('weights'))
        inputs = {'logits': tensor(logits, [3, 3])}
        inputs['labels' if labels else 'probabilities'] = lab(target, [3]) if labels else tensor(target, [3, 3])
        options = dict(opts)
        if 'weights' in options:
            options['weights'] = tensor(options['weights'])
        out.append(case(f'cross-entropy: {name}', 'softmaxCrossEntropy', inputs, options or None, expected, 'PyTorch semantics'))
    # The label gradient p_j sum_c a_c - a_j, where sum_c a_c is not 1: class weights and smoothing.
    logits4 = [0.5, 2, -1, 1.5, 3, 0.25, 1, -2, -0.5, 1, 2, 0.75]
    for name, target, opts in [
        ('weights [0.5, 2, 1, 4] and labelSmoothing 0.3', [1, 3, 0], {'weights': [0.5, 2, 1, 4], 'labelSmoothing': 0.3}),
        ('weight 0 at the label, labelSmoothing 0.3', [2, 2, 1], {'weights': [0.5, 2, 0, 4], 'labelSmoothing': 0.3}),
        ('weights [0.5, 2, 1, 4], no smoothing', [1, 3, 0], {'weights': [0.5, 2, 1, 4]}),
    ]:
        for reduction in ['mean', 'sum', 'none']:
            expected = cross_entropy(logits4, [3, 4], target, True, reduction, -100, opts.get('labelSmoothing', 0.0),
                                     opts['weights'])
            options = dict(opts, weights=tensor(opts['weights']), reduction=reduction)
            out.append(case(f'cross-entropy label gradient: {name}, {reduction}', 'softmaxCrossEntropy',
                            {'logits': tensor(logits4, [3, 4]), 'labels': lab(target, [3])}, options, expected,
                            'grad_j = p_j sum_c a_c - a_j, where sum_c a_c = (1 - e) w_y + (e / C) sum_c w_c is not 1'))
    ext = [1e4, -1e4, 0, -1e4, 1e4, 0]
    out.append(case('cross-entropy with logits of +-1e4 stays finite', 'softmaxCrossEntropy',
                    {'logits': tensor(ext, [2, 3]), 'labels': lab([1, 1], [2])}, {'reduction': 'none'},
                    cross_entropy(ext, [2, 3], [1, 1], reduction='none'), 'log(softmax) would give inf'))
    return out


def special_values():
    fully = mask([1, 1, 1, 0, 0, 0], [2, 3])
    out = []
    for op in ['softmax', 'logSoftmax', 'logSumExp']:
        out += [
            fwd_case(f'{op}: two +Infinity share the mass', op, [INF, 1, INF]),
            fwd_case(f'{op}: +Infinity next to -Infinity', op, [INF, NINF, 3]),
            fwd_case(f'{op}: NaN makes the slice NaN', op, [NAN, 1, 2]),
            fwd_case(f'{op}: NaN taking part, masked position stays exact', op, [1, NAN, 5], where=mask([1, 1, 0])),
            fwd_case(f'{op}: a masked NaN does not leak', op, [1, NAN, 2], where=mask([1, 0, 1])),
            fwd_case(f'{op}: NaN next to -Infinity, which behaves like a masked position', op, [NINF, NAN, 1]),
            fwd_case(f'{op}: a row of -Infinity', op, [NINF, NINF, NINF, 1, 2, 3], [2, 3]),
            fwd_case(f'{op}: a fully masked row', op, [1, 2, 3, 4, 5, 6], [2, 3], where=fully),
            fwd_case(f'{op}: -Infinity among finite values', op, [NINF, 0, 1, NINF]),
            fwd_case(f'{op}: a fully masked column over axis 0', op, [1, 2, 3, 4, 5, 6], [2, 3], axis=0, where=mask([1, 0, 1], [3])),
        ]
    y, dy = [0.5, 0.5, 0.0], [1, 0, NAN]
    out.append(case('softmax backward: a masked position gives 0 and its NaN dy is never read', 'softmaxBackward',
                    {'y': tensor(y), 'dy': tensor(dy)}, {'where': mask([1, 1, 0])},
                    softmax_backward(y, [1, 0, 0], [3], [True, True, False]), 'masked gradients are exactly 0'))
    out.append(case('softmax backward: a fully masked row gives 0', 'softmaxBackward',
                    {'y': tensor([0.2, 0.8, 0, 0], [2, 2]), 'dy': tensor([1, 2, 3, 4], [2, 2])}, {'where': mask([1, 1, 0, 0], [2, 2])},
                    tensor([0.2 * (1 - 1.8), 0.8 * (2 - 1.8), 0, 0], [2, 2]), ''))
    logp = [math.log(0.5), math.log(0.5), NINF]
    out.append(case('log-softmax backward: logp = -Infinity gives 0 and its dy is ignored', 'logSoftmaxBackward',
                    {'logp': tensor(logp), 'dy': tensor([1, 0, 5])}, None,
                    log_softmax_backward(logp, [1, 0, 5], [3]), ''))
    out.append(case('log-softmax backward: a fully masked row gives 0', 'logSoftmaxBackward',
                    {'logp': tensor([1, 2, 3]), 'dy': tensor([1, 2, 3])}, {'where': mask([0], [1])},
                    tensor([0, 0, 0]), ''))
    out.append(case('softmax Jacobian: masked rows and columns are 0', 'softmaxJacobian', {'y': tensor([0.25, 0, 0.75])},
                    {'where': mask([1, 0, 1])},
                    tensor([0.1875, 0, -0.1875, 0, 0, 0, -0.1875, 0, 0.1875], [3, 3]), ''))
    return out + cross_entropy_special_values()


def cross_entropy_special_values():
    """Infinite logits, and float32 overflow: a target weight on a class of probability 0 gives
    a +Infinity loss (and sum and mean), never NaN, with a finite gradient."""
    masked = [1, NINF, 3, 0, 1, 2]
    plus = [INF, 1, 2, 0, INF, INF]
    rows = [
        # (name, logits, shape, target, labels?, options, why)
        ('-Infinity logit, a label on it', masked, [2, 3], [1, 2], True, {},
         'the target class has probability 0: +Infinity, as in PyTorch'),
        ('-Infinity logit (a masked vocabulary entry), labels elsewhere', masked, [2, 3], [0, 2], True, {},
         'finite; the -Infinity class gets gradient 0'),
        ('-Infinity logit, labelSmoothing 0.1', masked, [2, 3], [0, 2], True, {'labelSmoothing': 0.1},
         'smoothing puts weight e / C on the class of probability 0'),
        ('-Infinity logit, a label on it with weight 0', masked, [2, 3], [1, 2], True, {'weights': [1, 0, 2]},
         'a zero target weight contributes 0, not 0 * Infinity'),
        ('-Infinity logit, a label on it, weights', masked, [2, 3], [1, 2], True, {'weights': [0.5, 2, 1]}, ''),
        ('-Infinity logit, an ignored label on it', masked, [2, 3], [-100, 2], True, {}, 'ignored samples give 0'),
        ('+Infinity logits, labels on them', plus, [2, 3], [0, 1], True, {},
         'the +Infinity classes share the mass: losses 0 and ln 2'),
        ('+Infinity logit, a label elsewhere', plus, [2, 3], [1, 0], True, {},
         'every other class has probability 0'),
        ('+Infinity logits, labelSmoothing 0.2', plus, [2, 3], [0, 1], True, {'labelSmoothing': 0.2}, ''),
        ('+Infinity logits, labels on them, weights and labelSmoothing 0.2', plus, [2, 3], [0, 2], True,
         {'weights': [0.5, 2, 1], 'labelSmoothing': 0.2}, ''),
        ('probabilities with mass on a -Infinity logit', masked, [2, 3], [0.2, 0.3, 0.5, 0, 0, 1], False, {}, ''),
        ('probabilities with no mass on a -Infinity logit', masked, [2, 3], [0.5, 0, 0.5, 0.25, 0.25, 0.5], False,
         {}, 'finite'),
        ('probabilities with mass on a -Infinity logit of weight 0', masked, [2, 3], [0.2, 0.3, 0.5, 0, 0, 1],
         False, {'weights': [1, 0, 2]}, ''),
        ('probabilities, -Infinity logit, labelSmoothing 0.1', masked, [2, 3], [0.5, 0, 0.5, 0.25, 0.25, 0.5],
         False, {'labelSmoothing': 0.1}, ''),
        ('probabilities on +Infinity logits', plus, [2, 3], [1, 0, 0, 0, 0.5, 0.5], False, {}, ''),
        ('probabilities with mass beside a +Infinity logit', plus, [2, 3], [0.5, 0.5, 0, 0, 0.5, 0.5], False, {},
         ''),
        ('logits +-1e38, weights [1, 2]', [1e38, -1e38], [1, 2], [1], True, {'weights': [1, 2]},
         'the weighted loss 4e38 overflows float32; its mean 2e38 does not'),
        ('logits +-3e38', [3e38, -3e38], [1, 2], [1], True, {},
         'the loss 6e38 is beyond float32: +Infinity there'),
    ]
    out = []
    for name, logits, shape, target, labels, opts, why in rows:
        for reduction in ['mean', 'sum', 'none']:
            expected = cross_entropy(logits, shape, target, labels, reduction, opts.get('ignoreIndex', -100),
                                     opts.get('labelSmoothing', 0.0), opts.get('weights'))
            inputs = {'logits': tensor(logits, shape)}
            if labels:
                inputs['labels'] = {'shape': shape[:-1], 'data': target}
            else:
                inputs['probabilities'] = tensor(target, shape)
            options = dict(opts)
            if 'weights' in options:
                options['weights'] = tensor(options['weights'])
            options['reduction'] = reduction
            out.append(case(f'cross-entropy: {name}, {reduction}', 'softmaxCrossEntropy', inputs, options, expected,
                            why))
    return out


for name, cases in [('worked-examples.json', worked_examples()), ('special-values.json', special_values())]:
    with open(name, 'w') as f:
        json.dump({'cases': cases}, f, indent=1)
        f.write('\n')
    print(name, len(cases))
