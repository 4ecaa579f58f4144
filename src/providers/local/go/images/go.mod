module kubedrill.local/images

go 1.24.0
