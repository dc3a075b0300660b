module stub

go 1.21
