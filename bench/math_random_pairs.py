#!/usr/bin/env python3
"""Writes generated math answer pairs that lean on the verifier's interval path.

usage: bench/math_random_pairs.py OUT.jsonl [COUNT] [SEED]

Each sample's gold answer is a random LaTeX expression of depth 3 (symbols x, y, n,
constants, sin ... arccos, sqrt, cube roots, floor, powers, factorials and binomials,
complex values through i); its response is the same expression rewritten (+0, 2(.)/2,
(.)^1) or another random expression. Used to compare two builds of rmg verdict by
verdict (bench/RESULTS.md, "Math verification without FLINT and Arb").
"""
import json
import random
import sys

ATOMS = ['x', 'y', 'n', '2', '3', '\\pi', 'e', '\\frac{1}{2}', '0.5', '-1', 'i', '\\sqrt{2}', '10']
FUNCTIONS = ['\\sin', '\\cos', '\\tan', '\\ln', '\\sqrt', '\\arcsin', '\\arctan', '\\sinh', '\\cosh',
             '\\tanh', '\\exp', '\\cot', '\\sec', '\\arccos', '\\log']


def expression(rng, depth):
    if depth == 0 or rng.random() < 0.25:
        return rng.choice(ATOMS)
    k = rng.random()
    a = expression(rng, depth - 1)
    b = expression(rng, depth - 1)
    if k < 0.2:
        return f'{a}+{b}'
    if k < 0.35:
        return f'{a}-{b}'
    if k < 0.5:
        return f'({a})({b})'
    if k < 0.62:
        return f'\\frac{{{a}}}{{{b}}}'
    if k < 0.72:
        return f'{{{a}}}^{{{b}}}'
    if k < 0.78:
        return f'\\binom{{{a}}}{{{b}}}'
    if k < 0.82:
        return f'({a})!'
    if k < 0.86:
        return f'\\sqrt[3]{{{a}}}'
    if k < 0.9:
        return f'\\lfloor {a} \\rfloor'
    return f'{rng.choice(FUNCTIONS)}\\left({a}\\right)'


def main():
    out = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 4000
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 7)
    with open(out, 'w') as f:
        for i in range(count):
            gold = expression(rng, 3)
            r = rng.random()
            if r < 0.3:
                response = gold
            elif r < 0.5:
                response = f'{gold}+0'
            elif r < 0.6:
                response = f'\\frac{{2({gold})}}{{2}}'
            elif r < 0.7:
                response = f'({gold})^{{1}}'
            else:
                response = expression(rng, 3)
            sample = {'unique_id': f'r{i}', 'input': [{'role': 'user', 'content': 'q'}],
                      'output': [{'answer': {'role': 'assistant',
                                             'content': f'The answer is $\\boxed{{{response}}}$',
                                             'label': {'reference': f'${gold}$'}}}]}
            f.write(json.dumps(sample) + '\n')


if __name__ == '__main__':
    main()
