"""Speech in: hotkey listener, recorder, voice activity gate and speech recognition."""
