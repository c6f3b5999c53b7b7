"""Training of the learned highlights models: `newsbrief train DATA... --out DIR --model KIND`."""
