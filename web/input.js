// placeholder: filled in by the input-channel work
