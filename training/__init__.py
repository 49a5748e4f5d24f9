"""nisba training: token views, tokenizer and model building, train, evaluate, predict."""
