import AmigoKit
print("amigo")
