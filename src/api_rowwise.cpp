// Row-wise entry points (softmax family, maxout): to be written.
