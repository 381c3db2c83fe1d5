"""The allocation engine: snapshot a plan, build the problem, solve it, read the answer back.

Each step is a plain function over plain values, testable alone; the same snapshot always
gives the same answer.
"""
