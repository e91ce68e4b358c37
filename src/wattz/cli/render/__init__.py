"""Rich rendering of the values services return; nothing here touches the store."""
